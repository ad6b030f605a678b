## Reports of unsafe spots (participants) · leaders forward, resolve, reject
## A report is not an emergency call: emergencies go to 112.

command-report = Report an unsafe spot
button-risk-report = 📍 Report an unsafe spot
risk-not-participant = Reporting unsafe spots is for approved participants.
risk-ask-category =
    Tell us about an unsafe spot you noticed. A leader checks it and passes it to the agency that can fix it (city hall, ...).
    If something dangerous is happening right now, don't write here: call <b>112</b>.

    What kind of spot is it? Choose below. (/cancel to stop)
risk-category-light = Broken security light
risk-category-alley = Dark alley
risk-category-cctv = CCTV blind spot
risk-category-vacant = Empty or abandoned house
risk-category-dumping = Illegal dumping
risk-category-other = Other
risk-ask-location =
    📍 Where is it?
    Tap <b>📍 Send my location</b> below to send where you are, or type an address or place. (e.g. the alley behind the … mart)
risk-ask-photo = 📷 Send one photo of the spot. No photo? Press the button below.
button-risk-skip-photo = Continue without a photo
risk-ask-description = ✏️ Describe the situation briefly.
risk-submitted = Got your report, thank you! 🙏 We'll tell you when a leader passes it to the agency that can fix it.
risk-press-category = Please choose the kind with the buttons below.
risk-invalid-location = Please send a location or type an address.
risk-invalid-photo = Please send a photo, or press 'Continue without a photo'.
risk-invalid-description = Please describe the situation in text.
risk-no-draft = No report is being written. Start one with /report.
risk-place-coordinates = latitude { $latitude }, longitude { $longitude }
risk-card =
    📍 <b>Unsafe spot report #{ $id }</b> ({ $status })
    Reporter: { $name }
    Kind: { $category }
    Where: { $place }
    Details: { $description }
    Noticed by: { $count }
button-risk-forward = 🏛 Forward to an agency
button-risk-resolve = ✅ Resolved
button-risk-reject = Reject
button-risk-keep = Stop
risk-ask-agency = Which agency should report #{ $id } go to?
# Agencies come from the campaign file ([risks] agencies); these name the codes reports
# forwarded by older versions recorded.
risk-agency-cityhall = City hall facility team
risk-agency-district = District office
risk-agency-patrol = Police patrol unit
risk-agencies-changed = The list of agencies has changed. Please press '🏛 Forward to an agency' again.
risk-forwarded-done = Recorded: report #{ $id } forwarded to { $agency }.
risk-ask-resolve-note = Resolving report #{ $id }: send a photo of the place now that it is fixed (a caption becomes the note), or type how it was resolved. Everyone who reported it will read it.
risk-ask-reject-reason = Why is report #{ $id } rejected? Type the reason; the reporter will read it.
risk-resolved-done = Report #{ $id } recorded as resolved.
risk-rejected-done = Report #{ $id } rejected.
risk-kept = Left as it was.
risk-unknown = This report can't be found.
risk-already-closed = This report was already resolved or rejected.
# To the reporter and the followers: { $place } is the typed address, the dong, or
# risk-place-unknown, never coordinates.
risk-told-forwarded = 📨 The report of the '{ $category }' at { $place } was passed to { $agency }. Thank you!
risk-told-resolved =
    🎉 The '{ $category }' at { $place } was fixed — thank you!
    { $note }
risk-told-resolved-bare = 🎉 The '{ $category }' at { $place } was fixed — thank you!
risk-told-rejected =
    The report of the '{ $category }' at { $place } will not be taken further.
    Reason: { $reason }
risk-told-rejected-bare = The report of the '{ $category }' at { $place } will not be taken further.
risk-place-unknown = the place you reported
risk-status-submitted = received
risk-status-forwarded = forwarded
risk-status-resolved = resolved
risk-status-rejected = rejected
risk-export-none = No unsafe-spot reports yet.
risk-export-caption = { $count } unsafe-spot reports (spreadsheet, GeoJSON for maps)
risk-export-col-id = No.
risk-export-col-status = Status
risk-export-col-category = Kind
risk-export-col-latitude = Latitude
risk-export-col-longitude = Longitude
risk-export-col-address = Address
risk-export-col-description = Details
risk-export-col-agency = Agency
risk-export-col-note = Note or reason
risk-export-col-submitted = Received
risk-export-col-updated = Last change
risk-status-merged = merged
risk-outside-area = This place is outside the campaign's area. Press 📍 Send my location again where you are, or type the address.
