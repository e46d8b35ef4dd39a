/** Turns the web app's answers into ContentService / HtmlService outputs. */
import type { WebAnswer } from '../app/webapp';

/** The output Apps Script returns for a web request. */
export function respond(answer: WebAnswer): GoogleAppsScript.Content.TextOutput | GoogleAppsScript.HTML.HtmlOutput {
  switch (answer.kind) {
    case 'text':
      return ContentService.createTextOutput(answer.text).setMimeType(ContentService.MimeType.TEXT);
    case 'twiml':
      return ContentService.createTextOutput('<?xml version="1.0" encoding="UTF-8"?><Response/>').setMimeType(ContentService.MimeType.XML);
    case 'html':
      return HtmlService.createHtmlOutput(answer.html).setTitle(answer.title).addMetaTag('viewport', 'width=device-width, initial-scale=1');
    default:
      return ContentService.createTextOutput(JSON.stringify(answer.body)).setMimeType(ContentService.MimeType.JSON);
  }
}
