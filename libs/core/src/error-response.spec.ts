import { BadRequestException, NotFoundException, PayloadTooLargeException } from '@nestjs/common';
import { toErrorResponse } from './error-response.js';
import { GATEHOUSE_ERRORS } from './gatehouse-error-codes.js';
import { GatehouseError } from './gatehouse.error.js';

describe('toErrorResponse', () => {
  it('maps every code to its status with a fixed message', () => {
    for (const [code, spec] of Object.entries(GATEHOUSE_ERRORS)) {
      const { status, body } = toErrorResponse(new GatehouseError(code as keyof typeof GATEHOUSE_ERRORS));
      expect(status).toBe(spec.status);
      expect(body).toMatchObject({ statusCode: spec.status, code, message: spec.message });
    }
  });

  it('adds the OAuth error fields where the code has an OAuth meaning', () => {
    expect(toErrorResponse(new GatehouseError('refresh_token_reused')).body).toMatchObject({ code: 'refresh_token_reused', error: 'invalid_grant' });
    expect(toErrorResponse(new GatehouseError('credentials_missing')).body).not.toHaveProperty('error');
  });

  it('sends Retry-After as whole seconds and no-store on 429 and 401', () => {
    const limited = toErrorResponse(new GatehouseError('rate_limited', { retryAfter: 0.2 }));
    expect(limited.headers).toMatchObject({ 'Retry-After': '1', 'Cache-Control': 'no-store' });
    expect(toErrorResponse(new GatehouseError('invalid_token')).headers['Cache-Control']).toBe('no-store');
  });

  it('turns validation errors into validation_failed with field messages', () => {
    const response = toErrorResponse(new BadRequestException({ message: ['email must be an email address'] }));
    expect(response.body).toMatchObject({ statusCode: 400, code: 'validation_failed', details: ['email must be an email address'] });
  });

  it('recognises body-parser and Fastify parser errors', () => {
    expect(toErrorResponse(Object.assign(new Error('x'), { type: 'entity.parse.failed', status: 400 })).body.code).toBe('malformed_json');
    expect(toErrorResponse(Object.assign(new Error('x'), { code: 'FST_ERR_CTP_BODY_TOO_LARGE', statusCode: 413 })).status).toBe(413);
    expect(toErrorResponse(new BadRequestException('bad', { cause: { code: 'FST_ERR_CTP_INVALID_JSON_BODY' } })).body.code).toBe('malformed_json');
  });

  it('maps other HTTP exceptions by status', () => {
    expect(toErrorResponse(new NotFoundException()).body.code).toBe('not_found');
    expect(toErrorResponse(new PayloadTooLargeException()).body.code).toBe('payload_too_large');
  });

  it('hides unknown errors behind a bare 500', () => {
    const response = toErrorResponse(new Error('password=hunter2 leaked in a stack'));
    expect(response.status).toBe(500);
    expect(JSON.stringify(response.body)).not.toContain('hunter2');
  });
});
