/**
 * The naive baseline of the bench: the same webhooks and the same reconcile as Sirrius Ops, written
 * the way most Apps Script webhook receivers are (tutorials, forum answers, first versions): a
 * whole-sheet getDataRange().getValues() for each lookup of the journal or the opt-out list,
 * getValue() cell by cell in a loop to find a lead, one setValue() per changed cell, appendRow()
 * for every new row, columns by fixed position.
 *
 * It does the same work against the same tabs and the same simulated providers, so the ratio in
 * bench/results.json compares coding styles, not features. Bench code only: never pushed.
 * No tokens are checked, no lock is taken, nothing is retried (also typical; it only makes the
 * naive script cheaper).
 */

// Columns by position, as in a tutorial (1-based, the SPEC order of a fresh setup()).
var L = { id: 1, created_at: 2, source: 3, fb_lead_id: 4, status: 5, first_name: 6, last_name: 7, phone: 8, email: 9, sms_sent: 10, sms_sent_at: 11, stripe_customer_id: 13, stripe_subscription_id: 14, conversion_date: 15, mrr: 16, payment_failures: 17, notes: 18, updated_at: 19 };
var E = { event_id: 3 };

function props() {
  return PropertiesService.getScriptProperties();
}

function sheet(name) {
  return SpreadsheetApp.getActiveSpreadsheet().getSheetByName(name);
}

/** "Already processed?": reads the whole Events tab and loops over it. */
function seen(eventId) {
  var data = sheet('Events').getDataRange().getValues();
  for (var i = 1; i < data.length; i++) if (String(data[i][E.event_id - 1]) === String(eventId)) return true;
  return false;
}

function journal(source, id, type, payload) {
  sheet('Events').appendRow([new Date(), source, id, type, 'processed', 1, '', new Date(), payload]);
}

/** Finds a lead's row by looking at each cell of a column, one getValue() per row. */
function findLeadRow(col, value) {
  var s = sheet('Leads');
  var last = s.getLastRow();
  for (var r = 2; r <= last; r++) if (String(s.getRange(r, col).getValue()) === String(value)) return r;
  return -1;
}

function optedOut(phone) {
  var data = sheet('Opt_Outs').getDataRange().getValues();
  for (var i = 1; i < data.length; i++) if (data[i][0] === phone) return true;
  return false;
}

function fetchJson(url, options) {
  var res = UrlFetchApp.fetch(url, Object.assign({ muteHttpExceptions: true }, options || {}));
  return JSON.parse(res.getContentText());
}

function graph(path) {
  var p = props();
  return fetchJson('https://graph.facebook.com/' + p.getProperty('FB_API_VERSION') + '/' + path, { headers: { Authorization: 'Bearer ' + p.getProperty('FB_ACCESS_TOKEN') } });
}

function stripe(path) {
  return fetchJson('https://api.stripe.com/v1/' + path, { headers: { Authorization: 'Bearer ' + props().getProperty('STRIPE_SECRET_KEY') } });
}

function field(lead, name) {
  for (var i = 0; i < lead.field_data.length; i++) if (lead.field_data[i].name === name) return lead.field_data[i].values[0];
  return '';
}

function processLead(leadgenId) {
  if (seen(leadgenId)) return;
  var lead = graph(leadgenId);
  if (!lead.id) return;
  var phone = field(lead, 'phone_number');
  var name = field(lead, 'full_name').split(' ');
  var id = 'lead_' + Date.now();
  var s = sheet('Leads');
  s.appendRow([id, new Date(), 'facebook', "'" + leadgenId, 'new', name[0], name.slice(1).join(' '), "'" + phone, field(lead, 'email'), false, '', '', '', '', '', 0, 0, '', new Date()]);
  journal('facebook', leadgenId, 'leadgen', '');
  if (optedOut(phone)) return;
  var p = props();
  var sms = fetchJson('https://api.twilio.com/2010-04-01/Accounts/' + p.getProperty('TWILIO_ACCOUNT_SID') + '/Messages.json', {
    method: 'post',
    payload: { To: phone, From: p.getProperty('TWILIO_FROM'), Body: 'Bonjour ' + name[0] + ', merci pour votre demande chez Sirrius !' },
    headers: { Authorization: 'Basic ' + Utilities.base64Encode(p.getProperty('TWILIO_ACCOUNT_SID') + ':' + p.getProperty('TWILIO_AUTH_TOKEN')) },
  });
  sheet('Messages').appendRow([new Date(), 'sms', "'" + phone, id, 'sms_nouveau_lead', 'sent', sms.sid, '']);
  var row = findLeadRow(L.id, id);
  s.getRange(row, L.sms_sent).setValue(true);
  s.getRange(row, L.sms_sent_at).setValue(new Date());
}

function applyStripe(event) {
  if (seen(event.id)) return;
  var o = event.data.object;
  var s = sheet('Leads');
  if (event.type === 'checkout.session.completed') {
    var row = findLeadRow(L.id, o.client_reference_id);
    if (row < 0) row = findLeadRow(L.email, o.customer_details.email);
    var sub = stripe('subscriptions/' + o.subscription);
    var mrr = sub.items.data[0].price.unit_amount / 100;
    if (row > 0) {
      s.getRange(row, L.status).setValue('converted');
      s.getRange(row, L.stripe_customer_id).setValue(o.customer);
      s.getRange(row, L.stripe_subscription_id).setValue(o.subscription);
      s.getRange(row, L.conversion_date).setValue(new Date());
      s.getRange(row, L.mrr).setValue(mrr);
      s.getRange(row, L.updated_at).setValue(new Date());
      MailApp.sendEmail(o.customer_details.email, 'Bienvenue chez Sirrius !', 'Merci pour votre confiance.');
    }
  } else if (event.type === 'invoice.payment_failed') {
    var r = findLeadRow(L.stripe_customer_id, o.customer);
    if (r > 0) {
      s.getRange(r, L.payment_failures).setValue(o.attempt_count);
      s.getRange(r, L.updated_at).setValue(new Date());
      MailApp.sendEmail(s.getRange(r, L.email).getValue(), 'Votre paiement a échoué', 'Merci de mettre à jour votre carte.');
    }
  }
  journal('stripe', event.id, event.type, '');
}

function stop(from, sid) {
  if (seen(sid)) return;
  if (!optedOut(from)) sheet('Opt_Outs').appendRow(["'" + from, new Date(), 'réponse STOP', 'sms']);
  var s = sheet('Leads');
  var last = s.getLastRow();
  for (var r = 2; r <= last; r++) {
    if (s.getRange(r, L.phone).getValue() === from) {
      s.getRange(r, L.status).setValue('opted_out');
      s.getRange(r, L.updated_at).setValue(new Date());
    }
  }
  journal('sms', sid, 'stop', '');
}

function doPost(e) {
  var source = e.parameter.source;
  if (source === 'facebook') {
    var body = JSON.parse(e.postData.contents);
    body.entry.forEach(function (entry) {
      entry.changes.forEach(function (c) {
        processLead(String(c.value.leadgen_id));
      });
    });
  } else if (source === 'stripe') {
    applyStripe(stripe('events/' + JSON.parse(e.postData.contents).id));
  } else if (source === 'sms') {
    var p = e.parameter;
    if (/^\s*stop\s*$/i.test(p.Body)) stop(p.From, p.MessageSid);
  }
  return ContentService.createTextOutput(JSON.stringify({ ok: true })).setMimeType(ContentService.MimeType.JSON);
}

/** The polling trigger: lists recent Stripe events and form leads, and looks each one up in the journal. */
function reconcile() {
  var since = Math.floor(Date.now() / 1000) - 3 * 86400;
  stripe('events?limit=100&created[gte]=' + since).data.forEach(applyStripe);
  var forms = props().getProperty('FB_FORM_IDS').split(',');
  forms.forEach(function (form) {
    var filtering = encodeURIComponent(JSON.stringify([{ field: 'time_created', operator: 'GREATER_THAN', value: since }]));
    graph(form + '/leads?limit=100&filtering=' + filtering).data.forEach(function (lead) {
      processLead(lead.id);
    });
  });
}
