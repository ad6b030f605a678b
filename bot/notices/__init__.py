"""What follows a step (messages, card redraws, outbox rows), below both doors: the chat and the console."""
