"""Pure business rules. Nothing here imports Flask or the database: callers pass the actor and the clock."""
