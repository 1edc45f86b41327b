"""Which rooms a new stay can have, moving already placed guests if that makes room.

Framework-free: rooms are ids, stays are half-open date intervals ``[arrival, departure)``.
A placed stay may be moved to another room of the same type only if it is ``movable`` (not yet
checked in); a move must leave the moved stay in a room free for its whole interval.
"""
from dataclasses import dataclass, field


@dataclass(frozen=True)
class PlacedStay:
    key: object
    room: object
    arrival: object
    departure: object
    movable: bool = True


@dataclass
class Allocation:
    rooms: list = field(default_factory=list)
    moves: list = field(default_factory=list)  # (stay key, from room, to room)


def overlaps(a_start, a_end, b_start, b_end):
    return a_start < b_end and b_start < a_end


def free_rooms(rooms, placed, arrival, departure):
    """Rooms with no placed stay overlapping ``[arrival, departure)``, in the given order."""
    busy = {stay.room for stay in placed if overlaps(stay.arrival, stay.departure, arrival, departure)}
    return [room for room in rooms if room not in busy]


def allocate(rooms, placed, arrival, departure, units=1, allow_moves=True):
    """An :class:`Allocation` of ``units`` rooms for the stay, or ``None`` if impossible.

    First the rooms already free; then, if allowed, rooms whose blocking stays can all move to
    other free rooms (greedy, one room at a time, each move checked against earlier moves).
    """
    placed = list(placed)
    allocation = Allocation()
    for room in free_rooms(rooms, placed, arrival, departure)[:units]:
        allocation.rooms.append(room)
        placed.append(PlacedStay(("new", len(allocation.rooms)), room, arrival, departure, False))
    if len(allocation.rooms) == units:
        return allocation
    if not allow_moves:
        return None
    for room in rooms:
        if len(allocation.rooms) == units:
            break
        if room in allocation.rooms:
            continue
        moved = _clear_room(rooms, placed, room, arrival, departure)
        if moved is None:
            continue
        placed, moves = moved
        allocation.moves.extend(moves)
        allocation.rooms.append(room)
        placed.append(PlacedStay(("new", len(allocation.rooms)), room, arrival, departure, False))
    return allocation if len(allocation.rooms) == units else None


def _clear_room(rooms, placed, room, arrival, departure):
    """Moves every stay blocking ``room`` for the interval elsewhere, or returns None."""
    blocking = [stay for stay in placed if stay.room == room
                and overlaps(stay.arrival, stay.departure, arrival, departure)]
    if not all(stay.movable for stay in blocking):
        return None
    trial = [stay for stay in placed if stay not in blocking]
    # The interval being cleared is reserved while the blocking stays look for rooms.
    trial.append(PlacedStay(("clearing",), room, arrival, departure, False))
    moves = []
    for stay in blocking:
        targets = [r for r in free_rooms(rooms, trial, stay.arrival, stay.departure) if r != room]
        if not targets:
            return None
        moved = PlacedStay(stay.key, targets[0], stay.arrival, stay.departure, stay.movable)
        trial.append(moved)
        moves.append((stay.key, room, targets[0]))
    trial = [stay for stay in trial if stay.key != ("clearing",)]
    return trial, moves
