## 단체방 응원, 저녁 응원 소식, 주간 순위

cheers-button = { $count ->
        [0] 👏
       *[other] 👏 { $count }
    }
cheers-thanks = 👏 응원했어요! 이웃을 응원해 주셔서 고마워요.
cheers-already = 이미 응원한 인증이에요 👏
cheers-own = 내 인증이에요. 참여해 주셔서 고마워요! 😊 응원은 이웃의 인증에 보낼 수 있어요.
cheers-unknown = 응원할 수 없는 인증이에요.
cheers-not-in-group = 응원은 단체방에 올라온 인증 글의 👏 버튼으로 보낼 수 있어요.
cheers-participants-only = 응원은 참여자와 단체방 멤버만 보낼 수 있어요. 함께하고 싶다면 봇에서 /start 를 눌러 신청해 주세요!
cheers-digest =
    👏 { $name }님, 오늘 이웃들이 인증 { $posts }건에 응원을 { $count ->
       *[other] { $count }번
    } 보냈어요.
    우리 동네를 지켜 주셔서 고마워요!
cheers-top-title = 🏆 <b>이번 주 인증 TOP { $count }</b> ({ $first } – { $last })
cheers-top-line = { $rank }. { $name } · 인증 { $certifications }회 · { $streak }일 연속
cheers-top-footer = 모두 수고하셨어요! 다음 주 미션에서 또 만나요 👏
