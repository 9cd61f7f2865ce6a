# nameko's services run on eventlet; the patch must come before anything else
# imports socket, threading or time.
import warnings

warnings.filterwarnings("ignore", message=r"\s*Eventlet is deprecated")

import eventlet  # noqa: E402

eventlet.monkey_patch()
