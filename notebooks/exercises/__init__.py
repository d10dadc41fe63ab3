"""Exercise checks for the lessons: each lesson module makes a `wfkit.teach.Exercise` and offers
`check(answer, which=exercise, strict=strict_checks)` and `reveal()`. The reference solutions and
the known wrong answers are in ../.solutions/, hidden from the file browser; the course's tests
run each lesson with both (`pytest --lessons notebooks`, or `wfkit check-lessons notebooks`)."""
