## Privacy: /mydata, /delete, /backup

privacy-mydata-caption = Everything this bot stores about you (your application, certifications and photo details). Keep it private.
privacy-nothing-stored = The bot stores no personal data about you.
privacy-delete-confirm =
    <b>Delete your personal data?</b>
    Your name, school, neighbourhood, 1365 ID, Telegram name, notes and photos are erased for good. Your certifications stay in the campaign statistics without your name. This cannot be undone, and volunteer hours not yet registered in 1365 can no longer be confirmed.
privacy-button-delete = Delete my data
privacy-button-keep = Keep my data
privacy-deleted = Your personal data has been deleted. Thank you for taking part. Send /start if you ever want to join again.
privacy-delete-kept = Nothing was deleted. Your data stays as it is.
privacy-backup-caption = Database backup. It contains personal data of minors: keep it private and delete it when you no longer need it.
privacy-backup-too-big = The backup is too big to send through Telegram. The nightly copies are in { $folder } on the server.
privacy-private-only = Please use this command in a private chat with the bot.
# A message about a person who erased their data (review-feed card, application card), when it
# is too old (48 hours) to delete.
privacy-message-erased = 🗑 Removed at the participant's request.
# To leaders: photos of someone who erased their data that the bot could not delete (older than
# 48 hours). Followed by links to them in the group, or the lines below.
privacy-left-behind = { $count ->
    [one] One photo
   *[other] { $count } photos
} of participants whose personal data was deleted { $count ->
    [one] is
   *[other] are
} too old (over 48 hours) for the bot to delete. Please delete { $count ->
    [one] it
   *[other] them
} by hand:
privacy-left-behind-here = { $count ->
    [one] one photo
   *[other] { $count } photos
} in this chat, posted on { $day }
privacy-left-behind-group = { $count ->
    [one] one photo
   *[other] { $count } photos
} in the campaign group, posted on { $day }
privacy-left-behind-participants = { $count ->
    [one] One report picture sent to a participant's own chat on { $day } (its caption is gone; neither the bot nor a leader can delete it now)
   *[other] { $count } report pictures sent to participants' own chats on { $day } (their captions are gone; neither the bot nor a leader can delete them now)
}
