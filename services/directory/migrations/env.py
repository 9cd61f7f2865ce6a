from infra.migrate import run_env
from services.directory.models import Base

run_env(Base.metadata)
