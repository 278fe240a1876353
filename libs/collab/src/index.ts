export { CollabCloseCode, closeCodeReason, isCollabCloseCode } from './close-codes.js';
