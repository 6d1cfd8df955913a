import type { ChainGenerator } from '../../chains/types';
import { takehomeLogins } from './takehomeLogins';
import { userLogins } from './userLogins';

/** The login generator's shapes: `users` (plausible per user) and `takehome` (compatibility). */
export const LOGIN_SHAPES = ['users', 'takehome'] as const;
export type LoginShape = (typeof LOGIN_SHAPES)[number];

/**
 * Login traffic for the take-home's `user-login` topic; valid records only (the producer
 * mixes in malformed ones on request). The shape is chosen with `--shape`.
 */
export const generateLogins: ChainGenerator = (options) => (options.shape === 'takehome' ? takehomeLogins(options) : userLogins(options));
