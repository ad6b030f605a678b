# 연습 모드(python -m bot practice): 터미널 안내와 연습 페이지. practice-web-* 는 페이지가
# textContent로 넣어요(태그·변수 없이).

practice-banner = 연습 모드: BOT_TOKEN이 없어서 텔레그램 대신 이 컴퓨터 안의 연습용 텔레그램으로 실행해요 → { $url } · 실제로 쓰려면 .env에 토큰을 넣으세요
practice-banner-on-purpose = 연습 모드: 텔레그램 대신 이 컴퓨터 안의 연습용 텔레그램으로 실행해요 → { $url } · 실제 텔레그램은 python -m bot 으로 실행하세요
practice-port-in-use = 연습 모드를 시작하지 못했어요: 127.0.0.1:{ $port } 포트를 다른 프로그램이 쓰고 있어요(연습 모드가 이미 켜져 있을 수 있어요). 그 창을 닫거나 --port 로 다른 번호를 고르세요.
practice-bot-name = 치안협력관봇
practice-group-title = 우리동네 치안협력관 단체방
practice-person-participant = 김민지
practice-person-second = 이서준
practice-person-leader = 박경위
practice-person-new = 새 참여자 { $number }
practice-spot-station = 경찰서 앞
practice-spot-park = 근린공원 입구
practice-spot-alley = 시장 뒤 골목

practice-web-title = 연습 모드 · 치안협력관봇
practice-web-intro = 이 컴퓨터 안의 연습용 텔레그램이에요. 여기서 보낸 것은 실제 텔레그램으로 가지 않아요.
practice-web-role-participant = 참여자
practice-web-role-leader = 리더
practice-web-role-group = 단체방
practice-web-add-person = 사람 추가
practice-web-reset = 처음부터 다시
practice-web-reset-confirm = 연습 데이터를 모두 지우고 처음부터 시작할까요?
practice-web-send = 보내기
practice-web-message-placeholder = 메시지
practice-web-send-photo = 사진 보내기
practice-web-send-file = 파일로 보내기
practice-web-sample = 예시 사진
practice-web-from-computer = 내 컴퓨터에서 고르기
practice-web-caption = 설명(선택)
practice-web-join = 단체방 가입 요청
practice-web-open-console = 콘솔 열기
practice-web-download = 내려받기
practice-web-location-pick = 보낼 위치를 고르세요
practice-web-cancel = 취소
practice-web-too-long = 메시지가 너무 길어요(4096자까지).
practice-web-too-big = 파일이 너무 커요.
practice-web-not-a-photo = 사진 파일이 아니에요. 파일로 보내 보세요.
practice-web-failed = 보내지 못했어요. 다시 해 보세요.
practice-web-restarting = 처음부터 다시 시작하는 중이에요…
practice-web-next-day-unavailable = 날짜를 넘기는 기능은 없어요: 알림 같은 예약 작업이 컴퓨터의 실제 시계로 돌아가서, 봇의 시계만 옮기면 정직한 연습이 되지 않아요.
