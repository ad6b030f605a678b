## Risk reports: one report per place, the after photo, the agency handoff, what our patrols fixed

button-risk-send-location = 📍 Send my location
risk-location-placeholder = or type an address
risk-location-received = 📍 Got the location.
risk-nearby =
    👀 A report of the same kind already exists { $distance }.
    Kind: { $category }
    Reported on: { $date }
    Status: { $status }
    { $count } people have noticed it so far.
    Is it the same place?
risk-nearby-metres = about { $metres } m away
risk-nearby-same-address = at the same address
button-risk-same-place = 👍 Same place
button-risk-other-place = Another place
risk-press-same-place = Please press 'Same place' or 'Another place' above.
risk-nearby-gone = That report was just closed. Let's carry on with a new one.
risk-joined = 👍 Added: { $count } people have noticed this place now. We'll tell you what happens!
risk-joined-already = You already reported this place. We'll tell you what happens.
risk-noticed-leader = 👥 Report #{ $id } ({ $category }): one more person noticed the same place. { $count } in all.
button-risk-merge = 🔗 Merge with another report
risk-merge-none = No open report near #{ $id } (within 100 m, or at the same address) to merge with.
risk-ask-merge = Choose the report that is the same place as #{ $id }; #{ $id } is merged into it.
button-risk-merge-into = #{ $id } { $category } ({ $distance })
risk-merged-done = Report #{ $source } merged into #{ $id }. { $count } people have noticed it now.
button-risk-resolve-bare = Resolved, no photo or note
risk-after-photo-unreadable = That picture can't be read. Send another photo or type a note.
risk-photo-before = Reported
risk-photo-after = Fixed
risk-fixed-group = ✅ Fixed! The '{ $category }' in { $area } was solved thanks to our patrols. 👏
risk-area-unknown = our neighbourhood
command-myreports = My reports
risk-mine-none = You haven't sent a report yet. Tell us with /report.
risk-mine-title = 📋 <b>My reports</b>
risk-mine-line = #{ $id } { $category } · { $status } · { $date } · noticed by { $count }
button-risk-check = 🔍 Check whether #{ $id } is fixed
risk-ask-check-photo = Report #{ $id }: send one photo of the place as it is now. A leader will decide whether it's fixed. (/cancel to stop)
risk-invalid-check-photo = Please send a photo of the place as it is now.
risk-check-sent = 📷 Sent to the leaders. We'll tell you if it's fixed!
risk-check-leader =
    🔍 Report #{ $id } ({ $category }, { $place }): someone who reported it took this photo on a later patrol.
    Is it fixed?
button-risk-confirm = ✅ Fixed (record as resolved)
button-risk-not-yet = Not yet
risk-still-open-done = Report #{ $id }: recorded as still open.
risk-fixed-title-round = 🔧 <b>What our patrols found and fixed</b> (this round)
risk-fixed-title-mine = 🔧 Places I found
risk-fixed-line = · { $category }: { $fixed } of { $found } found are fixed ({ $forwarded } passed to agencies)
risk-handoff =
    📋 <b>Report #{ $id } for the agency</b> (paste into 안전신문고 / 순찰신문고; the photo is above.)
    <pre>Kind: { $category }
    Address: { $address }
    Coordinates (lat, lon): { $coordinates }
    Found on: { $found }
    Passed on: { $forwarded }
    Noticed by: { $count }
    Details: { $description }</pre>
risk-handoff-none = (none)
button-risk-safety-report = Open 안전신문고 (Safety Report)
button-risk-patrol-report = Open the Police site (순찰신문고)
button-risk-more-place = ➕ Add another place from this patrol
risk-ask-more-place = Go to the next place and tap <b>📍 Send my location</b> below. The photo and description are used for every place.
risk-place-added = 📍 { $count } places now. Each becomes its own report.
risk-too-many-places = Up to { $limit } places at a time. Send the others as a new report.
risk-silent-title = ⏳ <b>{ $count } reports passed to an agency with no news for over { $days } days</b> (one tap each)
risk-silent-line = #{ $id } { $category } · { $agency } · since { $date } ({ $days } days) · noticed by { $count }
risk-silent-more = …and { $more } more. (Full list: /export reports)
button-risk-still-open = #{ $id } still open
risk-export-col-noticed = Noticed by
