## 1365 volunteer-hours export (/export hours)

export-usage =
    Usage: <code>/export hours [round]</code>
    Without a round, the current round (or the latest ended one) is exported. You get an Excel (.xlsx) and a CSV file.
export-private-only = Export files hold personal data. Send /export in your private chat with me.
export-unknown-round = There is no round '{ $name }'. Rounds: { $rounds }
export-no-round = No round has started or ended yet. Rounds: { $rounds }
export-empty = { $round } has no accepted certifications yet. There is no file to send.
export-file-name = 1365-hours-{ $round }
export-caption = 📑 { $round } 1365 volunteer hours ({ $kind })
export-summary =
    📑 <b>{ $round } 1365 volunteer hours</b>
    { $people } participants · { $rows } activity days · { $hours } hours to register in total
    1 certification = { $minutes_per } minutes; whole hours are registered and leftover minutes carry to the next activity date. Revoked certifications are left out.
export-summary-missing-id = ⚠️ { $count } participants have no 1365 ID; they are on the 'No 1365 ID' sheet. Please ask them for it.
export-deadline-warning = ⏰ { $count } activity dates are within { $margin } days of the 1365 registration limit (3 months after the activity) or past it. Earliest: { $first } (limit { $limit })
export-sheet-hours = Volunteer hours
export-sheet-totals = Totals per participant
export-sheet-missing-id = No 1365 ID
export-col-name = Name
export-col-volunteer-id = 1365 ID
export-col-category = Category
export-col-affiliation = School or affiliation
export-col-date = Date
export-col-certifications = Certifications
export-col-minutes = Minutes
export-col-hours = Hours to register
export-col-carried = Carried (minutes)
export-col-carried-in = Carried in from earlier rounds (minutes)
export-col-to-upload = 1365 upload
export-to-upload-yes = hours to upload
export-col-days = Activity days
export-col-telegram = Telegram

export-choose = 📑 What shall I export? The files come to this chat.
export-choose-round = 📑 The 1365 hours of which round?
button-export-hours = ⏱ 1365 hours (Excel, CSV)
button-export-reports = 🚨 Risk reports
button-export-round = { $round } ({ $start } – { $end })
