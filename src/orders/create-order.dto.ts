import { IsInt, IsString, Max, MaxLength, Min, MinLength } from 'class-validator';

export class CreateOrderDto {
  @IsString()
  @MinLength(1)
  @MaxLength(200)
  item!: string;

  @IsInt()
  @Min(1)
  @Max(10_000)
  quantity!: number;
}
