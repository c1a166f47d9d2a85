from __future__ import annotations

from pushguard.cli import main

raise SystemExit(main())
