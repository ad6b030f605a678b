## 리더 콘솔: 통계 · 순위 · 리더 목록

command-stats = (리더) 통계와 그래프
command-top = (리더) 우수 참여자 순위
command-leaders = (리더) 리더 목록
stats-no-round = 아직 설정된 차수가 없어요.
stats-title = 📊 <b>{ $round } 통계</b> ({ $day } 기준)
stats-participants = 👥 참여자 { $approved }명 (연락 가능 { $active }명, 봇 차단 { $inactive }명) · 승인 대기 { $pending }명 · 신청 중 { $applying }명 · 거절 { $rejected }명
stats-categories = 🎒 중학생 { $middle } · 고등학생 { $high } · 대학생 { $university } · 일반 { $adult }
stats-certifications = ✅ 오늘 인증 { $today }회 · 이번 차수 { $round_total }회 · 한 번 이상 인증한 참여자 { $certified_once }명
stats-reward-line = 🎁 { $reward } ({ $count }회): { $reached }명 달성
stats-chart-title = { $round } 날짜별 인증 수
stats-chart-axis = 인증 수
top-title = 🏆 <b>{ $round } 우수 참여자 TOP { $count }</b> (인증 수, 같으면 최장 연속 인증)
top-line = { $rank }. { $name } — { $certifications }회 (최장 연속 { $streak }일)
top-empty = { $round }에는 아직 인증이 없어요.
top-unknown-round = 그런 차수가 없어요. 차수: { $rounds }
leaders-title = 👮 <b>리더 목록</b> (LEADER_IDS 설정)
leaders-line = • { $name } (ID { $user_id })
