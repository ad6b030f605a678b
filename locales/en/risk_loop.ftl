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
