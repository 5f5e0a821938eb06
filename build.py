#!/usr/bin/env python3
"""Build the bilingual review site: `python build.py [build|check|status|scaffold|mark-current]`."""

import sys

from bireview.cli import main

if __name__ == "__main__":
    sys.exit(main())
