"""The reader's screens: main (search + list + detail), help, and the bookmark dialog."""
