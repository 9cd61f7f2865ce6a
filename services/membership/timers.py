"""A timer whose interval comes from config.yml, so tests can make it quick."""

from nameko.timer import Timer


class ConfiguredTimer(Timer):
    def __init__(self, setting: str, default: float, **kwargs):
        self.setting = setting
        super().__init__(interval=default, **kwargs)

    def setup(self) -> None:
        self.interval = float(self.container.config.get(self.setting, self.interval))


configured_timer = ConfiguredTimer.decorator
