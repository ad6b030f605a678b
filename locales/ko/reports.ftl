## 중간·최종 리포트

report-personal-title = { $kind ->
        [final] 🏁 <b>{ $round } 최종 리포트</b>
       *[other] 📊 <b>{ $round } 중간 리포트</b>
    }
report-personal-body =
    { $name }님, 이번 인증 기간에 { $certified_days }일 인증했어요 (이번 기간 { $in_round }회 · 누적 { $total }회).
    ⏱ 봉사시간 누적 { $minutes }분 · 1365 등록 { $portal_hours }시간{ $carried ->
        [0] {""}
       *[other] , 적립 { $carried }분
    }
# How the person's risk reports of the round helped (left out when they sent none).
report-personal-risks = 📍 { $sent ->
        [1] { $resolved ->
            [0] { $forwarded ->
                [0] 이번 기간에 불안한 곳 1곳을 제보해 주셔서 고마워요!
               *[other] 이번 기간에 제보해 주신 불안한 곳을 고칠 수 있는 기관에 전달했어요. 해결되면 알려 드릴게요.
            }
           *[other] { $forwarded ->
                [0] 이번 기간에 제보해 주신 불안한 곳이 해결됐어요. 고마워요!
               *[other] 이번 기간에 제보해 주신 불안한 곳이 기관에 전달돼 해결됐어요. 고마워요!
            }
        }
       *[other] { $resolved ->
            [0] { $forwarded ->
                [0] 이번 기간에 불안한 곳 { $sent }곳을 제보해 주셔서 고마워요!
               *[other] 이번 기간에 제보해 주신 { $sent }곳 중 { $forwarded }곳을 고칠 수 있는 기관에 전달했어요. 해결되면 알려 드릴게요.
            }
           *[other] { $forwarded ->
                [0] 이번 기간에 제보해 주신 { $sent }곳 중 { $resolved }곳이 해결됐어요. 고마워요!
               *[other] 이번 기간에 제보해 주신 { $sent }곳 중 { $forwarded }곳을 기관에 전달했고, { $resolved }곳이 해결됐어요. 고마워요!
            }
        }
    }
report-personal-rewards = 🏅 달성한 포상: { $rewards }
report-personal-no-rewards = 🏅 아직 달성한 포상이 없어요.
report-personal-next = 🎯 다음 포상 '{ $reward }'까지 { $remaining }회 남았어요.
report-personal-cheer = 남은 기간도 함께해요! 💪
report-final-registration =
    📝 <b>1365 봉사시간 등록 안내</b>: { $per_hour ->
        [0] 인증 1회당 { $minutes_per }분으로 계산해
       *[other] 인증 { $per_hour }회 = 1시간으로 계산해
    } { $portal_hours }시간을 1365 아이디로 등록해요. { $carried ->
        [0] {""}
       *[other] 남은 { $carried }분은 다음 인증 기간으로 넘어가요.
    }
report-final-thanks = 함께해 주셔서 고마워요! 🙏
report-calendar-title = { $round } 나의 인증 달력
report-calendar-legend = 인증한 날
report-weekdays = 월,화,수,목,금,토,일
report-leader-title = { $kind ->
        [final] 🏁 <b>{ $round } 최종 요약 (리더용)</b>
       *[other] 📊 <b>{ $round } 중간 요약 (리더용)</b>
    }
report-leader-counts =
    👥 승인된 참여자 { $approved }명 · 1회 이상 인증 { $certified_once }명
    ✅ 이번 차수 인증 { $certifications }회
report-leader-top-title = 🏆 <b>인증 상위 참여자</b>
report-leader-top-line = { $rank }. { $name } — { $count }회 (최장 연속 { $streak }일)
report-leader-top-none = 아직 인증한 참여자가 없어요.
report-leader-rewards-title = 🎁 <b>전달할 포상</b>
report-leader-reward-line = { $reward } ({ $count }회 이상) { $people }명: { $names }
report-leader-reward-more = 외 { $more }명
report-leader-rewards-none = 아직 포상 기준에 도달한 참여자가 없어요.
report-leader-final-note = 📝 참여자별 1365 봉사시간 등록을 준비해 주세요 (인증 1회 = { $minutes_per }분, 60분마다 1시간).
report-chart-title = { $round } 날짜별 인증 수
report-chart-axis = 막대 하나 = 하루 인증 수
report-chart-caption = 📈 { $round } 날짜별 인증 수
