"""Flask extensions, created unbound and bound to an app in `create_app`."""
from flask_limiter import Limiter
from flask_limiter.util import get_remote_address
from flask_migrate import Migrate
from flask_sqlalchemy import SQLAlchemy
from flask_wtf import CSRFProtect

from surveys.db import Base

db = SQLAlchemy(model_class=Base)
migrate = Migrate(render_as_batch=True, compare_type=True)
csrf = CSRFProtect()
#: Limits per client address; storage is memory, or Redis when RATELIMIT_STORAGE_URI says so.
limiter = Limiter(key_func=get_remote_address, default_limits=[])
