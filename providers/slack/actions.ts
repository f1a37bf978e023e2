/**
 * The buttons on Slack messages, by action id (the core's, shared with its Slack notices); each
 * value is only an id, read again from the tables when clicked.
 */
export { SLACK_ACTIONS, type SlackAction as SlackActionId } from '../../src/provider';
