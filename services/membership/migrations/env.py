from infra.migrate import run_env
from services.membership.models import Base

run_env(Base.metadata)
