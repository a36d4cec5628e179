import { ArrayMaxSize, IsArray, IsInt, IsOptional, IsString, Max, MaxLength, Min, MinLength } from 'class-validator';

/** `POST /api-keys`. The library re-checks every field; these rules give early 400s with field names. */
export class CreateApiKeyDto {
  @IsString()
  @MinLength(1)
  @MaxLength(100)
  name!: string;

  @IsArray()
  @ArrayMaxSize(64)
  @IsString({ each: true })
  @MaxLength(128, { each: true })
  scopes!: string[];

  @IsOptional()
  @IsInt()
  @Min(1)
  @Max(365)
  expiresInDays?: number;
}

/** `POST /api-keys/:id/rotate`; an empty body keeps the defaults (24 h grace, the old key's lifetime). */
export class RotateApiKeyDto {
  /** How long the old key keeps working, in seconds (0–30 days). */
  @IsOptional()
  @IsInt()
  @Min(0)
  @Max(30 * 86_400)
  gracePeriodSeconds?: number;

  @IsOptional()
  @IsInt()
  @Min(1)
  @Max(365)
  expiresInDays?: number;
}
