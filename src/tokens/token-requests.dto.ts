import { IsIn, IsOptional, IsString, MaxLength } from 'class-validator';
import { LoginDto } from '../accounts/register.dto.js';

/** How a web client asks for its refresh token: in an HttpOnly cookie instead of the JSON body. */
export const DELIVERIES = ['body', 'cookie'] as const;
export type Delivery = (typeof DELIVERIES)[number];

/** `POST /auth/token`: `{email, password, delivery?}`. */
export class TokenRequestDto extends LoginDto {
  /** `cookie`: the refresh token is set as an HttpOnly cookie and left out of the body. Default `body`. */
  @IsOptional()
  @IsIn(DELIVERIES)
  delivery?: Delivery;
}

/** `POST /auth/refresh` (JSON or form-encoded, RFC 6749 §6): the token in the body, or the refresh cookie. */
export class RefreshRequestDto {
  @IsOptional()
  @IsString()
  @MaxLength(64)
  grant_type?: string;

  @IsOptional()
  @IsString()
  @MaxLength(128)
  refresh_token?: string;

  /** Space-separated scopes to narrow this access token to (never wider than the sign-in's). */
  @IsOptional()
  @IsString()
  @MaxLength(2048)
  scope?: string;

  /** Accepted for OAuth clients that always send it; first-party tokens are not bound to a client. */
  @IsOptional()
  @IsString()
  @MaxLength(255)
  client_id?: string;

  @IsOptional()
  @IsIn(DELIVERIES)
  delivery?: Delivery;
}

/** `POST /auth/revoke` (RFC 7009 §2.1, JSON or form-encoded). */
export class RevokeRequestDto {
  @IsString()
  @MaxLength(16_384)
  token!: string;

  @IsOptional()
  @IsString()
  @MaxLength(64)
  token_type_hint?: string;

  @IsOptional()
  @IsString()
  @MaxLength(255)
  client_id?: string;
}
