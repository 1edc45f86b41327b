from odoo import _, api, fields, models, tools

from ..phobs_api.ota_codes import ERROR_CLASSES, OTA_ERROR_CODES, code_title, explain
from ..services.monitoring_figures import OPERATION_LABELS
from .phobs_backend import MANAGER

SOURCES = [("call", "API call"), ("message", "Reservation message"), ("outbox", "Dead letter")]


class PhobsErrorLog(models.Model):
    """Every failure staff may need to look at, in one list: refused or failed API calls,
    reservation messages that could not be applied, and updates that went to the dead letter.

    A database view over the three tables, so nothing is written twice; the OTA code is
    explained in words and each row links to the record it affects.
    """

    _name = "phobs.error.log"
    _description = "Phobs Error Log"
    _auto = False
    _order = "date desc, id desc"
    _rec_name = "operation"

    date = fields.Datetime(readonly=True)
    backend_id = fields.Many2one("phobs.backend", readonly=True)
    company_id = fields.Many2one("res.company", readonly=True)
    source = fields.Selection(SOURCES, readonly=True)
    operation = fields.Char(readonly=True)
    http_status = fields.Integer(string="HTTP Status", readonly=True)
    ota_code = fields.Char(string="OTA Code", readonly=True)
    reason = fields.Char(readonly=True, help="Why it failed, in words, for grouping.")
    error = fields.Text(string="Technical error", readonly=True, groups=MANAGER)
    res_model = fields.Char(string="Affected model", readonly=True)
    res_id = fields.Integer(string="Affected record id", readonly=True)
    ota_code_title = fields.Char(string="Code meaning", compute="_compute_explanation")
    explanation = fields.Char(compute="_compute_explanation",
                              help="What the error means and what to do, in words.")
    operation_label = fields.Char(string="What", compute="_compute_explanation")
    record_ref = fields.Reference(selection="_selection_record_ref", string="Affected record",
                                  compute="_compute_record_ref")
    record_name = fields.Char(string="Affected", compute="_compute_record_ref")

    @api.model_cr
    def init(self):
        tools.drop_view_if_exists(self.env.cr, self._table)
        # Ids: three per source row (3n, 3n+1, 3n+2), so they stay unique and stable.
        cr = self.env.cr
        # The reason in words, for reports grouped by it: the OTA code's title, else the
        # client error class in words, else the error's own text without its class name.
        codes = b",".join(cr.mogrify("(%s, %s)", (code, "%s (OTA %s)" % (title, code)))
                          for code, (title, _words) in OTA_ERROR_CODES.items()).decode()
        classes = b",".join(cr.mogrify("(%s, %s)", (name, words.split(". ")[0].rstrip(".")))
                            for name, words in ERROR_CLASSES.items()).decode()
        cr.execute("""
            CREATE OR REPLACE VIEW phobs_error_log AS (
              SELECT u.*, COALESCE(
                         codes.title, classes.words,
                         'OTA ' || u.ota_code,
                         left(NULLIF(regexp_replace(COALESCE(u.error, ''),
                                                    '^[A-Za-z_.]+: ', ''), ''), 80),
                         'Other error')::varchar AS reason
                FROM (
                SELECT c.id * 3 AS id, c.create_date AS date, c.backend_id, b.company_id,
                       'call'::varchar AS source, c.operation, c.http_status,
                       NULLIF(split_part(COALESCE(c.ota_codes, ''), ',', 1), '') AS ota_code,
                       c.error::text AS error,
                       'phobs.backend'::varchar AS res_model, c.backend_id AS res_id
                  FROM phobs_api_call c JOIN phobs_backend b ON b.id = c.backend_id
                 WHERE NOT COALESCE(c.success, false)
                UNION ALL
                SELECT m.id * 3 + 1, COALESCE(m.write_date, m.create_date), m.backend_id,
                       b.company_id, 'message', m.operation, NULL,
                       substring(m.error from 'code ([0-9]+)'), m.error,
                       CASE WHEN m.phobs_reservation_id IS NOT NULL THEN 'phobs.reservation'
                            ELSE 'phobs.message' END,
                       COALESCE(m.phobs_reservation_id, m.id)
                  FROM phobs_message m JOIN phobs_backend b ON b.id = m.backend_id
                 WHERE m.state = 'failed'
                UNION ALL
                SELECT o.id * 3 + 2, COALESCE(o.write_date, o.create_date), o.backend_id,
                       b.company_id, 'outbox', o.kind, NULL,
                       substring(o.last_error from 'code ([0-9]+)'), o.last_error,
                       CASE WHEN o.phobs_reservation_id IS NOT NULL THEN 'phobs.reservation'
                            WHEN o.pms_ref ~ '^[a-z0-9_.]+,[0-9]+$'
                                 THEN split_part(o.pms_ref, ',', 1)
                            ELSE 'phobs.outbox' END,
                       CASE WHEN o.phobs_reservation_id IS NOT NULL THEN o.phobs_reservation_id
                            WHEN o.pms_ref ~ '^[a-z0-9_.]+,[0-9]+$'
                                 THEN split_part(o.pms_ref, ',', 2)::integer
                            ELSE o.id END
                  FROM phobs_outbox o JOIN phobs_backend b ON b.id = o.backend_id
                 WHERE o.state = 'dead'
                ) u
                LEFT JOIN (VALUES %s) AS codes(code, title) ON codes.code = u.ota_code
                LEFT JOIN (VALUES %s) AS classes(name, words)
                       ON classes.name = split_part(COALESCE(u.error, ''), ':', 1)
            )
        """ % (codes, classes))

    @api.model
    def _selection_record_ref(self):
        return [(model.model, model.name) for model in self.env["ir.model"].sudo().search([])]

    def _compute_explanation(self):
        for row in self:
            row.ota_code_title = code_title(row.ota_code) or False
            row.operation_label = OPERATION_LABELS.get(row.operation, row.operation)
            row.explanation = explain(row.ota_code, http_status=row.http_status,
                                      error=row.sudo().error) or _("See the error text.")

    def _affected(self):
        """The affected record if it still exists and the user may read it, else the backend."""
        self.ensure_one()
        Model = self.env[self.res_model] if self.res_model in self.env else None
        if Model is not None and self.res_id and Model.check_access_rights(
                "read", raise_exception=False):
            record = Model.browse(self.res_id).exists()
            if record:
                try:
                    record.check_access_rule("read")
                    return record
                except Exception:
                    pass
        return self.backend_id

    def _compute_record_ref(self):
        for row in self:
            record = row._affected()
            row.record_ref = "%s,%d" % (record._name, record.id) if record else False
            row.record_name = record.display_name if record else False

    def action_open_record(self):
        self.ensure_one()
        record = self._affected()
        return {
            "type": "ir.actions.act_window", "res_model": record._name, "res_id": record.id,
            "view_mode": "form", "views": [(False, "form")], "target": "current",
        }
