"""How the services lock a row they are about to change: `Model.objects.select_for_update(**ROW_LOCK)`.

`of=("self",)`: only the model's own rows. Without it, PostgreSQL also locks every row of every table the
query joins, and a model's default ordering joins: a division-month ordered by its division joins the
division and its bureau, so one staff save locked the whole bureau's row, every save of the bureau queued
behind it, and a publication's foreign-key checks on those rows deadlocked with them (python -m bench.load
--cluster found it: three 503s in a minute under 50 people while a planner published corrections).

`no_key=True`: FOR NO KEY UPDATE, the lock an UPDATE that changes no key takes. Two writers of the row still
wait for each other (it conflicts with itself), but a transaction that only inserts a row pointing at it (a
history row, a figure of the month, a publication of the bureau: FOR KEY SHARE) does not wait.

SQLite ignores both (a writer there holds the database's write lock from BEGIN). tests/test_locks.py keeps
every select_for_update of the project to this form."""

ROW_LOCK = {"of": ("self",), "no_key": True}
