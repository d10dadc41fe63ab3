"""Exercise checks for the lessons: each lesson module makes a `wfkit.teach.Exercise` and offers
`check(answer)` and `reveal()`. The reference solutions and the known wrong answers are in
../.solutions/, hidden from the file browser; `wfkit check-lessons notebooks` (and
`pytest --lessons notebooks`) pastes each over the learner's answer and runs the lesson with it."""
