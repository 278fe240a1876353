import { Field, ID, InputType, ObjectType } from '@nestjs/graphql';
import { COMMENT_SUBJECTS, THREAD_STATES } from '@bascule/plan-model';
import { documentEnum } from '../../common/document-enum.js';

export const CommentSubjectEnum = documentEnum(
  COMMENT_SUBJECTS,
  'CommentSubject',
  'What a comment is about: the plan itself, or an entry of one of these collections.',
);
export const ThreadStateEnum = documentEnum(THREAD_STATES, 'ThreadState', 'A thread is open until resolved.');

@ObjectType('Comment', { description: 'A comment in a plan’s conversation; its text is Markdown-light.' })
export class CommentModel {
  @Field(() => ID) id!: string;
  @Field(() => CommentSubjectEnum) subject!: string;
  @Field(() => ID, { nullable: true, description: 'The entry commented on; null for the plan.' }) entryId!:
    string | null;
  @Field(() => ID, { nullable: true, description: 'Its thread (the first comment’s id); null on a first comment.' })
  threadId!: string | null;
  @Field(() => String, {
    description:
      'As written: **bold**, *italic*, `code`, [links](https://…), "- " items; mentions as @[Name](user:<id>). Never HTML: escape it wherever you show it.',
  })
  body!: string;
  @Field(() => String, { description: 'The text without marks, mentions as @Name and links spelled out.' })
  bodyText!: string;
  @Field(() => [ID], { description: 'The members it mentions (user ids).' }) mentions!: string[];
  @Field(() => ID, { nullable: true, description: 'Stamped by the server.' }) authorId!: string | null;
  @Field(() => String, { nullable: true, description: 'Stamped by the server.' }) authorName!: string | null;
  @Field(() => Date, { nullable: true }) createdAt!: Date | null;
  @Field(() => Date, { nullable: true, description: 'When its author last changed its text.' }) editedAt!: Date | null;
}

@ObjectType('CommentThread', { description: 'A first comment and its replies, oldest first.' })
export class CommentThreadModel {
  @Field(() => ID, { description: 'The first comment’s id.' }) id!: string;
  @Field(() => CommentSubjectEnum) subject!: string;
  @Field(() => ID, { nullable: true }) entryId!: string | null;
  @Field(() => ThreadStateEnum) state!: string;
  @Field(() => String, { nullable: true }) resolvedBy!: string | null;
  @Field(() => Date, { nullable: true }) resolvedAt!: Date | null;
  @Field(() => CommentModel, { nullable: true, description: 'Null when its author deleted it (its replies stay).' })
  first!: CommentModel | null;
  @Field(() => [CommentModel]) replies!: CommentModel[];
  @Field(() => Date, { nullable: true, description: 'When its last comment was written.' }) lastAt!: Date | null;
}

@InputType()
export class CommentInput {
  @Field(() => CommentSubjectEnum, {
    nullable: true,
    description: 'PLAN by default; taken from the thread on a reply.',
  })
  subject?: string | null;
  @Field(() => ID, { nullable: true, description: 'The entry commented on, in `subject`.' }) entryId?: string | null;
  @Field(() => ID, { nullable: true, description: 'Answers this thread (any comment of it).' }) threadId?:
    string | null;
  @Field(() => String, { description: 'At most 10,000 characters.' }) body!: string;
}
