odoo.define('phobs_channel_manager.ari_grid', function (require) {
"use strict";

/**
 * Channel Manager > Rates & Availability: room types (grouped per property) by days, each day
 * showing the free and sold rooms, and per rate plan the price, the restrictions and whether
 * Phobs has accepted them. Managers edit a cell, a dragged range of cells, or in bulk; every
 * edit is one call to phobs.ari.grid, which writes through the price and restriction models
 * (and so through the outbox). One JSON-RPC read per window: phobs.ari.grid.read_window.
 */
var ControlPanelMixin = require('web.ControlPanelMixin');
var core = require('web.core');
var editor = require('phobs_channel_manager.ari_grid_editor');
var Widget = require('web.Widget');

var QWeb = core.qweb;
var _t = core._t;

var STATE_WORDS = {
    sent: _t("accepted by Phobs"),
    pending: _t("waiting to be sent"),
    failed: _t("Phobs refused it or could not be reached: see Outbox and Dead Letters"),
};
// How often, after an edit, the grid looks again whether Phobs has taken it.
var POLL_MS = 3000;
var POLL_TIMES = 5;

var AriGrid = Widget.extend(ControlPanelMixin, {
    template: 'PhobsAriGrid',
    events: {
        'mousedown .o_phobs_ari_editable': '_onCellMouseDown',
        'mouseover .o_phobs_ari_editable': '_onCellMouseOver',
    },

    init: function (parent, action) {
        this._super.apply(this, arguments);
        this.action = action;
        this.action_manager = parent;
        this.size = 31;
        this.dateFrom = null;   // the server's today until the user moves
        this.data = null;
        this.drag = null;       // {backend, anchorRow, anchorCol, row, col} while selecting
        this.polls = 0;
        this.timings = {};
    },

    willStart: function () {
        return $.when(this._super.apply(this, arguments), this._load());
    },

    start: function () {
        this._renderButtons();
        this._renderTable();
        this._updateControlPanel();
        $(document).on('mouseup.phobs_ari_grid', this._onMouseUp.bind(this));
        return this._super.apply(this, arguments);
    },

    destroy: function () {
        $(document).off('.phobs_ari_grid');
        clearTimeout(this.pollTimer);
        this._super.apply(this, arguments);
    },

    do_show: function () {
        this._super.apply(this, arguments);
        this._updateControlPanel();
    },

    //--------------------------------------------------------------------------
    // Loading and rendering
    //--------------------------------------------------------------------------

    _load: function () {
        var self = this;
        var started = performance.now();
        return this._rpc({
            model: 'phobs.ari.grid',
            method: 'read_window',
            args: [],
            kwargs: {date_from: this.dateFrom, size: this.size},
        }).then(function (data) {
            self.timings.read = performance.now() - started;
            self.data = data;
            self.dateFrom = data.days[0];
            // Plan rows are numbered per property: a dragged selection stays in one property.
            _.each(data.backends, function (backend) {
                var row = 0;
                _.each(backend.room_types, function (roomType) {
                    _.each(roomType.plans, function (plan) { plan.row = row++; });
                });
            });
            self.days = _.map(data.days, function (iso) {
                var day = moment(iso, 'YYYY-MM-DD');
                return {
                    iso: iso,
                    weekday: day.format('ddd'),
                    date: day.format('D'),
                    month: day.format('MMM'),
                    long: day.format('ddd D MMM YYYY'),
                    weekend: day.isoWeekday() >= 6,
                    today: iso === data.today,
                    past: iso < data.today,
                    firstOfMonth: day.date() === 1,
                };
            });
        });
    },

    _reload: function () {
        var self = this;
        return this._load().then(function () {
            self._renderTable();
            self._updateControlPanel();
        });
    },

    _renderTable: function () {
        var started = performance.now();
        this.$('.o_phobs_ari_scroll').html(QWeb.render('PhobsAriGrid.Table', {widget: this}));
        this.timings.render = performance.now() - started;
        this.$('.o_phobs_ari_table').attr({
            'data-read-ms': Math.round(this.timings.read),
            'data-render-ms': Math.round(this.timings.render),
        });
        this._schedulePoll();
    },

    _renderButtons: function () {
        var self = this;
        this.$buttons = $(QWeb.render('PhobsAriGrid.Buttons', {widget: this}));
        this.$buttons.on('click', '.o_phobs_ari_prev', function () { self._move(-1); });
        this.$buttons.on('click', '.o_phobs_ari_next', function () { self._move(1); });
        this.$buttons.on('click', '.o_phobs_ari_today', function () {
            self.dateFrom = null;
            self._reload();
        });
        this.$buttons.on('click', '.o_phobs_ari_size', function () {
            self.size = parseInt($(this).data('size'), 10);
            self._reload();
        });
        this.$buttons.on('click', '.o_phobs_ari_bulk', this._openBulkEditor.bind(this));
    },

    _updateControlPanel: function () {
        var first = moment(this.data.days[0], 'YYYY-MM-DD');
        var last = moment(this.data.days[this.data.days.length - 1], 'YYYY-MM-DD');
        this.$buttons.find('.o_phobs_ari_period').text(
            first.format('D MMM') + ' – ' + last.format('D MMM YYYY'));
        this.$buttons.find('.o_phobs_ari_size').each(function (index, button) {
            $(button).toggleClass('active', parseInt($(button).data('size'), 10) === this.size);
        }.bind(this));
        this.$buttons.find('.o_phobs_ari_bulk').toggleClass('hidden', !this.data.can_edit);
        this.update_control_panel({
            breadcrumbs: this.action_manager.get_breadcrumbs(),
            cp_content: {$buttons: this.$buttons},
        });
    },

    _move: function (direction) {
        this.dateFrom = moment(this.data.days[0], 'YYYY-MM-DD')
            .add(direction * this.size, 'days').format('YYYY-MM-DD');
        this._reload();
    },

    /**
     * After an edit, cells wait for the outbox to be sent: look again a few times so the
     * manager sees them turn to "accepted" (or "failed") without reloading.
     */
    _schedulePoll: function () {
        var self = this;
        clearTimeout(this.pollTimer);
        if (this.polls <= 0 || !this.$('.o_phobs_ari_dot_pending').length) {
            this.polls = 0;
            return;
        }
        this.polls -= 1;
        this.pollTimer = setTimeout(function () {
            if (!self.isDestroyed()) {
                self._reload();
            }
        }, POLL_MS);
    },

    //--------------------------------------------------------------------------
    // Words for the template
    //--------------------------------------------------------------------------

    formatPrice: function (text) {
        return text === null || text === undefined ? '–' : editor.formatPrice(text);
    },

    availabilityTitle: function (roomType, cell, day) {
        if (cell.free === null) {
            return roomType.name + ', ' + day.long + ': ' + _t("no front desk tells the free rooms");
        }
        var words = roomType.name + ', ' + day.long + ': ' + cell.free + ' ' + _t("free");
        if (cell.sold !== null) {
            words += ', ' + cell.sold + ' ' + _t("sold") + ' ' + _t("of") + ' ' + roomType.rooms;
        }
        return words + (cell.state ? '. ' + _t("Availability") + ' ' + STATE_WORDS[cell.state] : '');
    },

    planTitle: function (roomType, plan, cell, day) {
        var words = [roomType.name + ' · ' + plan.name + ', ' + day.long];
        if (cell.price !== null) {
            words.push(_t("price") + ' ' + cell.price + ' ' + plan.currency +
                       (plan.markup ? ' (' + _t("base") + ' ' + cell.base + ' + ' + plan.markup + ' %)' : ''));
        } else {
            words.push(_t("no price"));
        }
        if (plan.price_source === 'pricelist') {
            words.push(_t("from pricelist") + ' ' + plan.pricelist);
        }
        words.push(this.restrictionWords(cell));
        if (!plan.sends_rates) {
            words.push(_t("rates of this plan are not sent (channel switched off)"));
        }
        if (cell.state) {
            words.push('Phobs: ' + STATE_WORDS[cell.state]);
        }
        return words.join('; ');
    },

    restrictionWords: function (cell) {
        var words = [];
        if (cell.stop_sell) { words.push(_t("stop-sell")); }
        words.push(cell.min_los > 1 ? _t("min. stay") + ' ' + cell.min_los : _t("no minimum stay"));
        words.push(cell.max_los ? _t("max. stay") + ' ' + cell.max_los : _t("no maximum stay"));
        if (cell.closed_to_arrival) { words.push(_t("closed to arrival")); }
        if (cell.closed_to_departure) { words.push(_t("closed to departure")); }
        return words.join(', ');
    },

    //--------------------------------------------------------------------------
    // Selecting cells
    //--------------------------------------------------------------------------

    _onCellMouseDown: function (ev) {
        if (!this.data.can_edit || ev.which !== 1) {
            return;
        }
        ev.preventDefault();  // no text selection while dragging
        var $cell = $(ev.currentTarget);
        this.drag = {
            backend: $cell.data('backend'),
            anchorRow: $cell.data('row'), anchorCol: $cell.data('col'),
            row: $cell.data('row'), col: $cell.data('col'),
        };
        this._paintSelection();
    },

    _onCellMouseOver: function (ev) {
        var $cell = $(ev.currentTarget);
        if (!this.drag || $cell.data('backend') !== this.drag.backend) {
            return;
        }
        this.drag.row = $cell.data('row');
        this.drag.col = $cell.data('col');
        this._paintSelection();
    },

    _onMouseUp: function () {
        if (!this.drag) {
            return;
        }
        var cells = this._selectedCells();
        this.drag = null;
        if (cells.length) {
            this._openCellEditor(cells);
        } else {
            this._paintSelection();
        }
    },

    _selectionBounds: function () {
        var d = this.drag;
        return {
            rows: [Math.min(d.anchorRow, d.row), Math.max(d.anchorRow, d.row)],
            cols: [Math.min(d.anchorCol, d.col), Math.max(d.anchorCol, d.col)],
        };
    },

    _paintSelection: function () {
        this.$('.o_phobs_ari_selected').removeClass('o_phobs_ari_selected');
        if (!this.drag) {
            return;
        }
        var bounds = this._selectionBounds();
        var backend = this.drag.backend;
        this.$('.o_phobs_ari_editable').filter(function () {
            var $cell = $(this);
            return $cell.data('backend') === backend &&
                $cell.data('row') >= bounds.rows[0] && $cell.data('row') <= bounds.rows[1] &&
                $cell.data('col') >= bounds.cols[0] && $cell.data('col') <= bounds.cols[1];
        }).addClass('o_phobs_ari_selected');
    },

    /** The selected cells with their room type, plan and values, in display order. */
    _selectedCells: function () {
        var bounds = this._selectionBounds();
        var backend = this.data.backends[this.drag.backend];
        var cells = [];
        var row = 0;
        _.each(backend.room_types, function (roomType) {
            _.each(roomType.plans, function (plan) {
                if (row >= bounds.rows[0] && row <= bounds.rows[1]) {
                    for (var col = bounds.cols[0]; col <= bounds.cols[1]; col++) {
                        if (!this.days[col].past) {
                            cells.push({roomType: roomType, plan: plan, col: col,
                                        day: this.days[col], values: plan.cells[col]});
                        }
                    }
                }
                row += 1;
            }, this);
        }, this);
        return cells;
    },

    //--------------------------------------------------------------------------
    // Editing (the dialogs live in ari_grid_editor.js)
    //--------------------------------------------------------------------------

    _openCellEditor: function (cells) {
        var dialog = editor.openCellEditor(this, cells, this._save.bind(this));
        dialog.on('closed', this, this._paintSelection);
    },

    _openBulkEditor: function () {
        if (this.data.backends.length) {
            editor.openBulkEditor(this, this.data.backends, this.data.days, this._save.bind(this));
        }
    },

    _save: function (method, args, dialog) {
        var self = this;
        // The dialog stays open until the grid shows the change, so what the manager sees
        // after it closes is what was saved.
        return this._rpc({model: 'phobs.ari.grid', method: method, args: args})
            .then(function () {
                self.polls = POLL_TIMES;
                return self._reload();
            })
            .then(function () {
                dialog.close();
            });
    },
});

core.action_registry.add('phobs_ari_grid', AriGrid);

return AriGrid;

});
