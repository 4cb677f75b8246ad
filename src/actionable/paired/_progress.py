"""A progress bar over named steps, silent when disabled."""


class Progress:
    """A tqdm bar over named steps (silent when disabled)."""

    def __init__(self, total, enabled, description):
        self.bar = None
        if enabled:
            from tqdm.auto import tqdm

            self.bar = tqdm(total=total, desc=description, leave=False, unit="step")

    def step(self, description):
        if self.bar is not None:
            self.bar.set_postfix_str(description, refresh=True)

    def done(self):
        if self.bar is not None:
            self.bar.update(1)

    def close(self):
        if self.bar is not None:
            self.bar.close()
