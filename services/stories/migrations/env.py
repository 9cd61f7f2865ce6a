from infra.migrate import run_env
from services.stories.models import Base

run_env(Base.metadata)
