class DomainError(Exception):
    """A rule of the model refused a change; the message is for the person who asked."""

    def __init__(self, message):
        super().__init__(message)
        self.message = message

    def __str__(self):
        return str(self.message)
