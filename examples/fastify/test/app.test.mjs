import { httpChecks } from '../../support/http-checks.mjs';

httpChecks();
