import sys

from zonetrainer.cli import main

sys.exit(main())
