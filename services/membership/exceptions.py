from nameko.exceptions import deserialize_to_instance

from contracts.errors import Conflict, NotFound


@deserialize_to_instance
class EmailInUse(Conflict):
    pass


@deserialize_to_instance
class MemberNotFound(NotFound):
    pass
