"""Scheduled work: reminders, milestone notices, theme-mission broadcasts and reports.

Jobs run on ``application.job_queue`` in the campaign's time zone; what is due is planned from
the database at start-up, so a restart never loses or repeats a message.
"""
