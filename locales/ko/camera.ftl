# 카메라 인증(미니 앱 카메라 페이지). camera-page-* 문구는 페이지가 textContent로 넣어요: 서식 태그와 변수 없이 써요.

button-camera = 📷 카메라로 찍기
camera-required = 이번 캠페인은 카메라 페이지에서 찍은 사진만 받아요. 아래 「📷 카메라로 찍기」를 눌러 찍어 주세요.
camera-required-hint = 📷 사진은 아래 「카메라로 찍기」 버튼으로 찍어 주세요.
camera-stamp = 📷 카메라 · { $day } { $time }
button-allow-chat-photos = 📎 채팅 사진 허용
button-withdraw-chat-photos = 📷 카메라만 받기
participant-chat-photos-allowed = 이제 { $name } 님은 채팅으로 보낸 사진으로도 인증할 수 있어요.
participant-chat-photos-withdrawn = 이제 { $name } 님도 카메라 페이지로만 인증할 수 있어요.
participant-chat-photos-line = 채팅 사진: 허용됨 (카메라 필수 캠페인)
web-allow-chat-photos = 📎 채팅 사진 허용
web-withdraw-chat-photos = 📷 카메라만 받기

camera-page-title = 카메라 인증
camera-page-start = 시작 사진
camera-page-end = 종료 사진
camera-page-opening = 카메라를 여는 중이에요…
camera-page-shoot = 찍기
camera-page-sending = 보내는 중이에요…
camera-page-sent = 보냈어요! 채팅에서 답을 확인해 주세요.
camera-page-retry = 다시 시도
camera-page-denied = 카메라 권한이 꺼져 있어요. 안드로이드는 설정 → 애플리케이션 → Telegram → 권한 → 카메라, 아이폰은 설정 → Telegram → 카메라에서 허용한 뒤 「다시 시도」를 눌러 주세요.
camera-page-ask-leader = 그래도 안 되면 리더에게 채팅 사진 허용을 부탁해 주세요.
camera-page-busy = 다른 앱이 카메라를 쓰고 있어요. 그 앱을 닫고 「다시 시도」를 눌러 주세요.
camera-page-unsupported = 이 카메라로는 찍을 수 없어요. 「다시 시도」를 눌러 주세요.
camera-page-phone-only = 이 단계는 휴대폰 텔레그램에서 해 주세요.
camera-page-refused = 승인된 참여자만 쓸 수 있어요. 봇 채팅의 버튼으로 다시 열어 주세요.
camera-page-nothing-open = 지금은 찍을 사진이 없어요. 채팅에서 /certify로 인증을 시작해 주세요.
camera-page-expired = 시간이 지났어요. 「다시 시도」를 눌러 새로 찍어 주세요.
camera-page-failed = 사진을 보내지 못했어요. 「다시 시도」를 눌러 주세요.
camera-page-location = 위치도 함께 보내요 (리더만 봐요).
