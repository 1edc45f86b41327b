odoo.define('phobs_channel_manager.ari_grid_editor', function (require) {
"use strict";

/**
 * The dialogs of the Rates & Availability grid (ari_grid.js): one for the cells a manager
 * clicked or dragged over, one for a bulk edit by dates, weekdays, room types and plans. Both
 * send only what the manager changed; ``save(method, args, dialog)`` is the grid's, which
 * calls phobs.ari.grid and closes the dialog once the grid shows the result.
 */
var core = require('web.core');
var Dialog = require('web.Dialog');

var QWeb = core.qweb;
var _t = core._t;

var UNCHANGED = {price: '', min_los: '', max_los: 'keep', max_nights: '',
                 closed_to_arrival: 'keep', closed_to_departure: 'keep', stop_sell: 'keep'};

/** "120" for 120.00, "119.50" otherwise: whole prices read faster in a dense grid. */
function formatPrice(text) {
    var amount = parseFloat(text);
    return amount % 1 === 0 ? String(amount) : amount.toFixed(2);
}

/** What the selected cells have in common, as the editor's starting values. */
function commonValues(cells) {
    var common = function (name) {
        var values = _.uniq(_.map(cells, function (cell) { return cell.values[name]; }));
        return values.length === 1 ? values[0] : undefined;
    };
    var tri = function (value) {
        return value === undefined ? 'keep' : (value ? 'close' : 'open');
    };
    var base = common('base');
    var minLos = common('min_los');
    var maxLos = common('max_los');
    return {
        price: base === undefined || base === null ? '' : formatPrice(base),
        min_los: minLos === undefined ? '' : String(minLos),
        max_los: maxLos === undefined ? 'keep' : (maxLos ? 'nights' : 'none'),
        max_nights: maxLos ? String(maxLos) : '',
        closed_to_arrival: tri(common('closed_to_arrival')),
        closed_to_departure: tri(common('closed_to_departure')),
        stop_sell: tri(common('stop_sell')),
    };
}

/** The fields the manager changed from their starting values, as the server wants them. */
function readChanges($content, initial) {
    var value = function (name) {
        return $.trim($content.find('[name="' + name + '"]').val() || '');
    };
    var changes = {};
    if (value('price') !== initial.price && value('price') !== '') {
        changes.price = value('price');
    }
    if (value('min_los') !== initial.min_los && value('min_los') !== '') {
        changes.min_los = value('min_los');
    }
    var maxChoice = value('max_los');
    if (maxChoice === 'none' && initial.max_los !== 'none') {
        changes.max_los = 0;
    } else if (maxChoice === 'nights' && value('max_nights') !== '' &&
               (initial.max_los !== 'nights' || value('max_nights') !== initial.max_nights)) {
        changes.max_los = value('max_nights');
    }
    _.each(['closed_to_arrival', 'closed_to_departure', 'stop_sell'], function (name) {
        var choice = value(name);
        if (choice !== 'keep' && choice !== initial[name]) {
            changes[name] = choice === 'close';
        }
    });
    return changes;
}

function describeCells(cells) {
    var first = _.min(cells, function (cell) { return cell.col; }).day;
    var last = _.max(cells, function (cell) { return cell.col; }).day;
    var roomTypes = _.uniq(_.map(cells, function (cell) { return cell.roomType.name; }));
    var plans = _.uniq(_.map(cells, function (cell) { return cell.plan.name; }));
    var days = first === last ? first.long : first.long + ' – ' + last.long;
    return roomTypes.join(', ') + ' · ' + plans.join(', ') + ' · ' + days;
}

/** The rate plans of a property once each, for the bulk editor. */
function bulkPlans(backend) {
    var plans = _.flatten(_.pluck(backend.room_types, 'plans'));
    return _.uniq(plans, false, function (plan) { return plan.id; });
}

function render(values) {
    return $(QWeb.render('PhobsAriGrid.Editor', _.extend({
        bulk: false, backends: [], days: [], summary: '', pricelistPlans: [], markups: [],
        bulkPlans: bulkPlans,
    }, values)));
}

function openCellEditor(parent, cells, save) {
    var initial = commonValues(cells);
    var $content = render({
        initial: initial,
        summary: describeCells(cells),
        pricelistPlans: _.uniq(_.map(_.filter(cells, function (cell) {
            return cell.plan.price_source !== 'fixed';
        }), function (cell) { return cell.plan.name; })),
        markups: _.uniq(_.compact(_.map(cells, function (cell) {
            return cell.plan.markup ? cell.plan.name + ' +' + cell.plan.markup + ' %' : null;
        }))),
    });
    var dialog = new Dialog(parent, {
        title: _t("Change prices and restrictions"),
        size: 'medium',
        $content: $content,
        buttons: [
            {text: _t("Apply"), classes: 'btn-primary o_phobs_ari_apply', click: function () {
                var changes = readChanges($content, initial);
                if (_.isEmpty(changes)) {
                    dialog.close();
                    return;
                }
                save('write_cells', [_.map(cells, function (cell) {
                    return {plan_id: cell.plan.id, code: cell.roomType.code, day: cell.day.iso};
                }), changes], dialog);
            }},
            {text: _t("Cancel"), close: true},
        ],
    });
    dialog.opened().then(function () {
        $content.find('input:enabled').first().focus().select();
    });
    return dialog.open();
}

function openBulkEditor(parent, backends, days, save) {
    var $content = render({bulk: true, initial: UNCHANGED, backends: backends, days: days});
    var dialog = new Dialog(parent, {
        title: _t("Edit in bulk"),
        size: 'large',
        $content: $content,
        buttons: [
            {text: _t("Apply"), classes: 'btn-primary o_phobs_ari_apply', click: function () {
                var checked = function (name) {
                    return $content.find('input[name="' + name + '"]:checked').map(function () {
                        return $(this).val();
                    }).get();
                };
                save('bulk_edit', [
                    $content.find('input[name="date_from"]').val(),
                    $content.find('input[name="date_to"]').val(),
                    _.map(checked('weekday'), Number),
                    _.map(checked('plan'), Number),
                    checked('room_type'),
                    readChanges($content, UNCHANGED),
                ], dialog);
            }},
            {text: _t("Cancel"), close: true},
        ],
    });
    // The room types and plans offered follow the property chosen.
    $content.on('change', 'select[name="backend"]', function () {
        $content.find('.o_phobs_ari_bulk_backend').addClass('hidden')
            .find('input').prop('checked', false);
        $content.find('.o_phobs_ari_bulk_backend[data-backend="' + $(this).val() + '"]')
            .removeClass('hidden').find('input[name="plan"]').prop('checked', true);
    });
    return dialog.open();
}

return {
    formatPrice: formatPrice,
    openCellEditor: openCellEditor,
    openBulkEditor: openBulkEditor,
};

});
