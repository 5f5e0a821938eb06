"""bireview: a bilingual review published as a static site (see docs/architecture.md for the packages)."""
