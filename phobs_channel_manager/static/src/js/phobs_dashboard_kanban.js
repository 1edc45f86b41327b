odoo.define('phobs_channel_manager.dashboard_kanban', function (require) {
"use strict";
/**
 * The channel manager dashboard reloads its cards every minute, so a screen left open at the
 * front desk shows new bookings, conflicts and failures without anyone pressing F5.
 * The timer stops when the view is left (destroyed) and skips a tick while the tab is hidden.
 */
var KanbanController = require('web.KanbanController');
var KanbanView = require('web.KanbanView');
var viewRegistry = require('web.view_registry');

var REFRESH_MS = 60 * 1000;

var PhobsDashboardController = KanbanController.extend({
    start: function () {
        var self = this;
        this._phobsTimer = setInterval(function () {
            if (!document.hidden) {
                self.reload();
            }
        }, REFRESH_MS);
        return this._super.apply(this, arguments);
    },
    destroy: function () {
        clearInterval(this._phobsTimer);
        this._super.apply(this, arguments);
    },
});

var PhobsDashboardKanbanView = KanbanView.extend({
    config: _.extend({}, KanbanView.prototype.config, {
        Controller: PhobsDashboardController,
    }),
});

viewRegistry.add('phobs_dashboard_kanban', PhobsDashboardKanbanView);

return {
    PhobsDashboardController: PhobsDashboardController,
    REFRESH_MS: REFRESH_MS,
};
});
