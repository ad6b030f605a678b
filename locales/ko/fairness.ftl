# Photos that look much like an earlier one: accepted, and shown to leaders in /audit.
audit-lookalikes-title = <b>비슷한 사진으로 받아들인 인증 (한번 확인해 주세요)</b>
audit-lookalike-line = • { $when } { $name } — { $role ->
        [start] 시작 사진이
       *[end] 종료 사진이
    } { $whose ->
        [own] 본인의 이전 사진과
        [other] 다른 참여자의 사진과
       *[this_certification] 같은 인증의 시작 사진과
    } 아주 비슷해요 (인증 #{ $certification } ↔ #{ $earlier })
