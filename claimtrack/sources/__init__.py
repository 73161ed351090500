"""Where new articles come from on a schedule: inbox folders, RSS/Atom feeds, URL lists."""
