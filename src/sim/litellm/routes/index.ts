/**
 * Every simulated admin API route.
 */
import type { Route } from '../router.js';
import { keyListRoutes } from './key-list-route.js';
import { keyRoutes } from './key-routes.js';
import { teamListRoutes } from './team-list-routes.js';
import { teamMemberRoutes } from './team-member-routes.js';
import { teamRoutes } from './team-routes.js';
import { userNewRoutes } from './user-new-route.js';
import { userReadRoutes } from './user-read-routes.js';
import { userWriteRoutes } from './user-write-routes.js';

/** The admin API surface of the simulator. */
export const apiRoutes: readonly Route[] = [
  ...teamRoutes,
  ...teamListRoutes,
  ...teamMemberRoutes,
  ...userNewRoutes,
  ...userWriteRoutes,
  ...userReadRoutes,
  ...keyRoutes,
  ...keyListRoutes,
];
