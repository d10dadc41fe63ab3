"""Exercise checks for the lessons: each lesson module has `check(...)`, a reference
`solution` and a deliberately `wrong` answer (CI runs each lesson with both), and `reveal()`,
which prints the reference solution once the learner has run the check at least once."""
