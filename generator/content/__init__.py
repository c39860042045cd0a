"""Content: read the county's files with line numbers, check them against the declared schemas and
each other, scan them for personal numbers, and build the frozen model every renderer reads."""
