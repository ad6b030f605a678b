"""Pictures and files: photo checks, the pictures the bot draws, and the export formats."""
