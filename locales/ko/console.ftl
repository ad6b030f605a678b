## 리더 콘솔: 통계 · 순위 · 리더 목록

command-stats = (리더) 통계와 그래프
command-top = (리더) 우수 참여자 순위
command-leaders = (리더) 리더 목록
stats-no-round = 아직 설정된 차수가 없어요.
stats-title = 📊 <b>{ $round } 통계</b> ({ $day } 기준)
stats-participants = 👥 참여자 { $approved }명 (연락 가능 { $active }명, 봇 차단 { $inactive }명) · 승인 대기 { $pending }명 · 신청 중 { $applying }명 · 거절 { $rejected }명
stats-categories = 🎒 중학생 { $middle } · 고등학생 { $high } · 대학생 { $university } · 일반 { $adult }
stats-certifications = ✅ 오늘 인증 { $today }회 · 이번 차수 { $round_total }회 · 한 번 이상 인증한 참여자 { $certified_once }명
stats-reward-line = 🎁 { $reward } ({ $count }회): { $reached }명 달성, { $handed }명 전달
stats-chart-title = { $round } 날짜별 인증 수
stats-chart-axis = 막대 하나 = 하루 인증 수
stats-chart-summary = 총 { $total }회 · 하루 평균 { $average }회
top-title = 🏆 <b>{ $round } 우수 참여자 TOP { $count }</b> (인증 수, 같으면 최장 연속 인증, 다음은 조치된 제보 수)
top-line = { $rank }. { $name } — { $certifications }회 (최장 연속 { $streak }일, 조치된 제보 { $reports }건)
top-empty = { $round }에는 아직 인증이 없어요.
top-unknown-round = 그런 차수가 없어요. 차수: { $rounds }
leaders-title = 👮 <b>리더 목록</b> (LEADER_IDS 설정)
leaders-line = • { $name } (ID { $user_id })
command-broadcast = (리더) 전체 공지 보내기
broadcast-ask = 참여자 모두에게 보낼 공지를 보내 주세요. 글이나 사진(설명 포함)을 보낼 수 있어요. (그만두려면 /cancel)
broadcast-preview = 👀 미리 보기예요. 연락 가능한 참여자 { $count }명에게 아래 그대로 보내져요.
button-broadcast-send = 📣 모두에게 보내기
button-broadcast-cancel = 보내지 않기
broadcast-queued = 📣 { $count }명에게 보내기 시작했어요. 조용한 시간에는 아침까지 기다렸다가 보내요.
broadcast-cancelled = 공지를 보내지 않았어요.
broadcast-unsupported = 공지는 글이나 사진으로만 보낼 수 있어요. /broadcast 로 다시 시작해 주세요.
command-export = (리더) 1365 봉사시간·불안한 곳 제보 목록 내보내기
command-backup = (리더) DB 백업 받기
command-mydata = 내 개인정보 받기
command-delete = 내 개인정보 삭제
command-participant = (리더) 참여자 보기·관리
participant-usage = 찾을 참여자의 이름이나 텔레그램 ID를 함께 적어 주세요. 예: /participant 김민지
participant-none = '{ $query }'{ PARTICLE($query, "으로") } 찾은 참여자가 없어요.
participant-card =
    👤 <b>{ $name }</b> (ID { $user_id })
    상태: { $status ->
        [approved] 참여 중
        [pending] 승인 대기
        [applying] 신청 작성 중
        [rejected] 참여 중 아님
       *[other] { $status }
    }{ $paused ->
        [yes] {" "}· 일시 정지
       *[other] {""}
    }{ $reachable ->
        [yes] {""}
       *[other] {" "}· 봇 차단
    }
    구분: { $category ->
        [middle] 중학생
        [high] 고등학생
        [university] 대학생
        [adult] 일반
       *[other] —
    } · 학교·소속: { $affiliation } · 사는 동: { $neighbourhood }
    1365 아이디: { $volunteer_id }
    사유: { $reason }
    전달한 포상: { $handed_out }
button-pause = ⏸ 일시 정지
button-resume = ▶️ 다시 참여
button-remove = 🚪 참여 종료
button-fix-name = 이름 고치기
button-fix-volunteer-id = 1365 아이디 고치기
participant-ask-pause = 일시 정지 사유를 적어 주세요. 참여자에게 그대로 전해져요.
participant-ask-remove = 참여를 끝내는 사유를 적어 주세요. 참여자에게 그대로 전해져요.
participant-ask-name = 고칠 이름을 적어 주세요.
participant-ask-volunteer-id = 고칠 1365 아이디를 적어 주세요.
participant-unchanged = 바뀐 것이 없어요. (이미 그 상태이거나 참여자를 찾을 수 없어요)
participant-told-paused =
    리더가 참여를 잠시 멈췄어요. 그동안 인증과 알림이 멈춰요.
    사유: { $reason }
participant-told-resumed = 다시 참여할 수 있어요! /certify 로 인증해 보세요. 🙌
participant-told-removed =
    리더가 이번 캠페인 참여를 종료했어요.
    사유: { $reason }
    그동안의 인증 기록은 그대로 남아요. 궁금한 점은 리더에게 물어봐 주세요.
handout-done = 전달 완료로 표시했어요.
handout-already = 이미 전달 완료로 표시돼 있어요.
handout-unknown = 이 포상을 전달할 수 없어요. (아직 달성하지 않았거나 잘못된 버튼이에요)
button-handout-letter = 🎖 { $rank }. { $name } 감사장 전달 표시
button-handout-milestone = 🎁 전달 완료로 표시

button-top-round = { $chosen ->
        [yes] • { $round }
       *[other] { $round }
    }
button-top-size = { $chosen ->
        [yes] • TOP { $count }
       *[other] TOP { $count }
    }
participant-list = 👤 누구를 볼까요? 이름을 누르세요. 이름 일부로 찾으려면: /participant 민지
participant-list-empty = 아직 신청한 사람이 없어요.
participant-found = '{ $query }' 검색 결과 { $count }명이에요. 누구를 볼까요?
button-participant = { $name } · { $status ->
        [approved] { $paused ->
            [yes] 일시 정지
           *[other] 참여 중
        }
        [pending] 승인 대기
        [applying] 신청 작성 중
       *[other] 참여 중 아님
    }
button-previous = ◀ 이전
button-next = 다음 ▶
