## Mid and final reports

report-personal-title = { $kind ->
        [final] 🏁 <b>{ $round } final report</b>
       *[other] 📊 <b>{ $round } mid-round report</b>
    }
report-personal-body =
    { $name }, you certified on { $certified_days } days this round ({ $in_round } this round · { $total } in total).
    ⏱ Volunteer time { $minutes } min in total · { $portal_hours } h for 1365{ $carried ->
        [0] {""}
       *[other] , { $carried } min carried
    }
# How the person's risk reports of the round helped (left out when they sent none).
report-personal-risks = 📍 { $sent ->
        [1] { $resolved ->
            [0] { $forwarded ->
                [0] Thank you for the unsafe spot you reported this round!
               *[other] The unsafe spot you reported this round went to the agency that can fix it. We'll tell you when it's fixed.
            }
           *[other] { $forwarded ->
                [0] The unsafe spot you reported this round has been fixed. Thank you!
               *[other] The unsafe spot you reported this round went to an agency and has been fixed. Thank you!
            }
        }
       *[other] { $resolved ->
            [0] { $forwarded ->
                [0] Thank you for the { $sent } unsafe spots you reported this round!
               *[other] Of the { $sent } unsafe spots you reported this round, { $forwarded } went to the agency in charge. We'll tell you when { $forwarded ->
                    [1] it's
                   *[other] they're
                } fixed.
            }
           *[other] Of the { $sent } unsafe spots you reported this round, { $forwarded ->
                [0] { $resolved }
               *[other] { $forwarded } went to an agency and { $resolved }
            } { $resolved ->
                [1] has
               *[other] have
            } been fixed. Thank you!
        }
    }
report-personal-rewards = 🏅 Rewards reached: { $rewards }
report-personal-no-rewards = 🏅 No reward reached yet.
report-personal-next = 🎯 { $remaining } more to '{ $reward }'.
report-personal-cheer = Keep going for the rest of the round! 💪
report-final-registration =
    📝 <b>1365 volunteer hours</b>: { $per_hour ->
        [0] each certification counts { $minutes_per } min, so
       *[other] { $per_hour } certifications = 1 hour, so
    } { $portal_hours } h will be registered under your 1365 ID. { $carried ->
        [0] {""}
       *[other] The remaining { $carried } min carry over to the next round.
    }
report-final-thanks = Thank you for taking part! 🙏
report-calendar-title = { $round } my certification calendar
report-calendar-legend = Certified days
report-weekdays = Mon,Tue,Wed,Thu,Fri,Sat,Sun
report-leader-title = { $kind ->
        [final] 🏁 <b>{ $round } final summary (leaders)</b>
       *[other] 📊 <b>{ $round } mid-round summary (leaders)</b>
    }
report-leader-counts =
    👥 { $approved } approved participants · { $certified_once } certified at least once
    ✅ { $certifications } certifications this round
report-leader-top-title = 🏆 <b>Top participants</b>
report-leader-top-line = { $rank }. { $name } — { $count } (longest streak { $streak } days)
report-leader-top-none = Nobody has certified yet.
report-leader-rewards-title = 🎁 <b>Rewards to hand out</b>
report-leader-reward-line = { $reward } ({ $count }+) { $people } people: { $names }
report-leader-reward-more = and { $more } more
report-leader-rewards-none = Nobody has reached a reward yet.
report-leader-final-note = 📝 Please prepare each participant's 1365 registration (1 certification = { $minutes_per } min, 1 hour per 60 min).
report-chart-title = { $round } certifications per day
report-chart-axis = one bar = one day's certifications
report-chart-caption = 📈 { $round } certifications per day
