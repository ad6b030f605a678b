# Photos that look much like an earlier one: accepted, and shown to leaders in /audit.
audit-lookalikes-title = <b>Certifications accepted with a look-alike photo (please have a look)</b>
audit-lookalike-line = • { $when } { $name } — the { $role ->
        [start] start photo
       *[end] end photo
    } looks very much like { $whose ->
        [own] their own earlier photo
        [other] another participant's photo
       *[this_certification] the start photo of the same certification
    } (certification #{ $certification } ↔ #{ $earlier })
