import sys

from idcard_ocr.cli import main

sys.exit(main())
