"""The services of the channel manager: plain classes over ``(env, backend)``, built on
:class:`.base.BackendService` (constructor, advisory locks, lookups, a transaction of its own).

The six the product is described by, each doing what its name says:

- ``channel_manager.PhobsChannelManagerService``: the one door to Phobs (client sessions,
  connection test, webhook registration); the only place that builds a client.
- ``reservation_sync.PhobsReservationSyncService``: reservations in (pull and push), stored,
  acknowledged and applied; a facade over ``reservation_inbound.ReservationReceiver`` and
  ``reservation_apply.ReservationApplier``.
- ``inventory.PhobsInventoryService``: availability, rates and restrictions from the outbox to
  Phobs, with the front-desk uploads (``reservation_upload.ReservationUploader``) first.
- ``data_mapper`` (PhobsDataMapperService): OTA records to model values, pure functions.
- ``error_handling.PhobsErrorHandlingService``: classification, retry schedule, dead letter,
  alerts.
- ``monitoring.PhobsMonitoringService``: every exchange recorded, the dashboard's queries, log
  retention; its arithmetic is ``monitoring_figures`` (pure) and currency conversion ``money``.

Helpers with names of their own: ``credential_vault`` (secrets at rest) and ``background`` (work
after a commit, through handlers the services register, so it imports none of them).
Arrows point one way: models, crons and the controller call services; services call
``phobs_api``; ``phobs_api`` calls nothing of ours.
"""
